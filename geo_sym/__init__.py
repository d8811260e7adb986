"""geo-sym: the orchestrated agent economy of Garnier (2026) and its maps, exact and fast."""
