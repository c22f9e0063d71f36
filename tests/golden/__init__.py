"""Golden headlines and ledes: what the story engine wrote on notable days, kept for review.

``python -m tests.golden`` (or ``make golden``) writes them anew; tests/test_golden_ledes.py
fails when the engine writes anything else, so a change in wording is seen in a diff of these
files before it reaches readers.
"""
