"""The paper's claims: one object per statement, each deciding it on an economy (``docs/claims.md``)."""
