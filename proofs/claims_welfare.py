"""Claims of §5: the welfare theorems."""
