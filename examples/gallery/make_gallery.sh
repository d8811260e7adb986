#!/usr/bin/env bash
# Regenerate the gallery: every figure and document of examples/gallery/README.md.
# Run from the root of a checkout after `pip install .`. Documents need pdflatex
# (apt-get install texlive-latex-base texlive-latex-recommended); page previews need
# mutool (apt-get install mupdf-tools) and are skipped without it.
set -euo pipefail
cd "$(dirname "$0")/../.."
G=examples/gallery
OUT=${GALLERY_BUILD:-$(mktemp -d)}   # .tex/.pdf are built here, not committed

geo-sym plot examples/economies/two_by_two.yaml --kind eigenvalues -o $G/eigenvalues_two_by_two.png
geo-sym plot examples/economies/example_6_3.yaml --kind eigenvalues -o $G/eigenvalues_example_6_3.png
geo-sym plot examples/economies/example_6_3.yaml --kind convergence --n 80 -o $G/convergence_example_6_3.png
geo-sym plot examples/economies/two_by_two.yaml --kind convergence --n 80 -o $G/convergence_two_by_two.png
geo-sym plot examples/economies/example_6_3.yaml --kind stability --x tau=1/2:6:12 --y alpha=1/20:9/10:12 \
    -o $G/stability_example_6_3.png
geo-sym plot examples/models/nk3.yaml --kind stability --x phi_pi=0:3:61 --y phi_y=0:1:41 -o $G/determinacy_nk3.png
geo-sym plot examples/models/rbc.yaml --kind irf --shock eps_a --periods 40 -o $G/irf_rbc.png
geo-sym plot examples/models/rbc.yaml --kind eigenvalues -o $G/eigenvalues_rbc.png
geo-sym plot examples/economies/orchestration_taylor.yaml --kind irf --periods 20 -o $G/irf_orchestration_taylor.png

geo-sym sweep examples/sweeps/taylor_4d.yaml --workers 2 --out $OUT/taylor_4d.zarr --plot $G/sweep_taylor_4d.png --quiet
geo-sym sweep examples/sweeps/nk3_determinacy.yaml --workers 2 --out $OUT/nk3.nc --plot $G/sweep_nk3_determinacy.png --quiet
geo-sym sweep examples/sweeps/search_prop_6_2.yaml --workers 2 --out $OUT/search.parquet \
    --plot $G/sweep_search_prop_6_2.png --quiet
geo-sym sweep examples/sweeps/basins_three_equilibria.yaml --workers 2 --out $OUT/basins.zarr \
    --plot $G/sweep_basins.png --quiet

geo-sym derive examples/economies/two_by_two.yaml -o $OUT/two_by_two.tex --plot $OUT/two_by_two_eig.png --pdf
geo-sym derive examples/economies/example_6_3.yaml -o $OUT/example_6_3.tex --no-claims --pdf
geo-sym derive examples/models/nk3.yaml -o $OUT/nk3.tex --plot $OUT/nk3_irf.png --pdf
geo-sym check --latex $OUT/report.tex > /dev/null && (cd $OUT && pdflatex -interaction=nonstopmode report.tex > /dev/null \
    && pdflatex -interaction=nonstopmode report.tex > /dev/null)

if command -v mutool > /dev/null; then
  mutool draw -r 60 -o $G/derive_two_by_two_p1.png $OUT/two_by_two.pdf 1
  mutool draw -r 60 -o $G/derive_two_by_two_p4.png $OUT/two_by_two.pdf 4
  mutool draw -r 60 -o $G/derive_example_6_3_p6.png $OUT/example_6_3.pdf 6
  mutool draw -r 60 -o $G/derive_nk3_p3.png $OUT/nk3.pdf 3
  mutool draw -r 60 -o $G/check_report_p1.png $OUT/report.pdf 1
fi
echo "documents in $OUT"
