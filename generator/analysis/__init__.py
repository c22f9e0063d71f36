"""Stage 3, analyse: the facts a market reporter pulls out of the data.

Each module computes one kind of fact over a whole history at once (vectorised), so a
snapshot is a lookup, not a recomputation: records.py (records and previous records),
milestones.py (round levels crossed for the first time), streaks.py (runs of gains and
losses), series.py (per-series tables ready for snapshots), lede.py (the written lede),
research.py (the leverage-risk study).
"""
