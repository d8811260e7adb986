"""Claims of §6–8: contraction, Example 6.3, the DSGE reading, the consolidated theorem."""
