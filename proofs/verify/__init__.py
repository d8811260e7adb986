"""The independent verifier of refutation witnesses (``geo-sym verify``; docs/witness-format.md).

It shares no code with the code that produces verdicts: see :mod:`proofs.verify.core`.
"""

from proofs.verify.core import KINDS, VerifyResult, verify_document, verify_file, verify_witness

__all__ = ["KINDS", "VerifyResult", "verify_document", "verify_file", "verify_witness"]
