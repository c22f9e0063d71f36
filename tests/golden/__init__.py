"""Golden files, kept for review: what the story engine wrote on notable days, and the digest
of the sample site's whole output.

``python -m tests.golden`` (or ``make golden``) writes them anew; tests/test_golden_ledes.py
fails when the engine writes anything else, and tests/test_output_digest.py when any page of the
sample site changes, so a change is seen in a diff of these files before it reaches readers.
"""
