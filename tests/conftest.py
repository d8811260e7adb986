"""Test-session settings shared by every test package."""

import os

# as the command line does (geo_sym/cli/main.py): one BLAS thread for many small dense problems
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
