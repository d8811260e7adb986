"""Test-session settings shared by every test package."""

import atexit
import os
import shutil
import tempfile

# as the command line does (geo_sym/cli/main.py): one BLAS thread for many small dense problems
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

# compiled DSGE models are cached; a test session uses its own cache, never the user's ~/.cache
if "GEO_SYM_CACHE" not in os.environ:
    _cache = tempfile.mkdtemp(prefix="geo-sym-test-cache-")
    os.environ["GEO_SYM_CACHE"] = _cache
    atexit.register(shutil.rmtree, _cache, ignore_errors=True)
