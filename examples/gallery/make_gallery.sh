#!/usr/bin/env bash
# Regenerate the gallery: every figure and document preview of examples/gallery/README.md.
# Run from anywhere in a checkout after `pip install .` (or with GEO_SYM="python -m geo_sym" and
# PYTHONPATH set to the checkout). Figures are written as the commands of the README write them
# (PNG at the default 300 dpi). Documents need pdflatex (apt-get install texlive-latex-base
# texlive-latex-recommended); page previews need pdftoppm (apt-get install poppler-utils) and are
# skipped without it.
set -euo pipefail
cd "$(dirname "$0")/../.."
G=examples/gallery
OUT=${GALLERY_BUILD:-$(mktemp -d)}   # .tex/.pdf and sweep results are built here, not committed
GEO_SYM=${GEO_SYM:-geo-sym}

# figures: eigenvalues, convergence, parameter maps, impulse responses
$GEO_SYM plot examples/economies/two_by_two.yaml --kind eigenvalues -o $G/eigenvalues_two_by_two.png
$GEO_SYM plot examples/economies/example_6_3.yaml --kind eigenvalues -o $G/eigenvalues_example_6_3.png
$GEO_SYM plot examples/models/rbc.yaml --kind eigenvalues -o $G/eigenvalues_rbc.png
$GEO_SYM plot examples/economies/example_6_3.yaml --kind convergence --n 80 -o $G/convergence_example_6_3.png
$GEO_SYM plot examples/economies/two_by_two.yaml --kind convergence --n 80 -o $G/convergence_two_by_two.png
$GEO_SYM plot examples/models/nk3.yaml --kind stability --x phi_pi=0:3:61 --y phi_y=0:1:41 -o $G/determinacy_nk3.png
$GEO_SYM plot examples/economies/example_6_3.yaml --kind stability --x tau=1/2:6:12 --y alpha=1/20:9/10:12 \
    -o $G/stability_example_6_3.png
$GEO_SYM stability-map examples/economies/orchestration_taylor.yaml --phi-lat 0:20:21 --phi-qual 0:20:21 \
    --plot $G/stability_map_taylor.png > /dev/null
$GEO_SYM plot examples/models/rbc.yaml --kind irf --shock eps_a --periods 40 -o $G/irf_rbc.png
$GEO_SYM plot examples/economies/orchestration_taylor.yaml --kind irf --periods 20 -o $G/irf_orchestration_taylor.png

# sweeps on Dask
$GEO_SYM sweep examples/sweeps/taylor_4d.yaml --workers 2 --out $OUT/taylor_4d.zarr --plot $G/sweep_taylor_4d.png --quiet
$GEO_SYM sweep examples/sweeps/nk3_determinacy.yaml --workers 2 --out $OUT/nk3.nc --plot $G/sweep_nk3_determinacy.png --quiet
$GEO_SYM sweep examples/sweeps/search_prop_6_2.yaml --workers 2 --out $OUT/search.parquet \
    --plot $G/sweep_search_prop_6_2.png --quiet
$GEO_SYM sweep examples/sweeps/basins_three_equilibria.yaml --workers 2 --out $OUT/basins.zarr \
    --plot $G/sweep_basins.png --quiet

# documents (previews of single pages at 60 dpi)
$GEO_SYM derive examples/economies/two_by_two.yaml -o $OUT/two_by_two.tex --plot $OUT/two_by_two_eig.pdf --pdf
$GEO_SYM derive examples/economies/example_6_3.yaml -o $OUT/example_6_3.tex --no-claims --pdf
$GEO_SYM derive examples/models/nk3.yaml -o $OUT/nk3.tex --plot $OUT/nk3_irf.pdf --pdf
$GEO_SYM check --latex $OUT/report.tex > /dev/null && (cd $OUT && pdflatex -interaction=nonstopmode report.tex > /dev/null \
    && pdflatex -interaction=nonstopmode report.tex > /dev/null)

preview() {  # preview PDF PAGE PNG
  pdftoppm -png -r 60 -f "$2" -l "$2" -singlefile "$1" "${3%.png}"
}
if command -v pdftoppm > /dev/null; then
  preview $OUT/two_by_two.pdf 1 $G/derive_two_by_two_p1.png
  preview $OUT/two_by_two.pdf 4 $G/derive_two_by_two_p4.png
  preview $OUT/example_6_3.pdf 6 $G/derive_example_6_3_p6.png
  preview $OUT/nk3.pdf 3 $G/derive_nk3_p3.png
  preview $OUT/report.pdf 1 $G/check_report_p1.png
fi
echo "documents and sweep results in $OUT"
