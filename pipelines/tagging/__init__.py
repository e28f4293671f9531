"""SDG tagging: suggest goals and targets for activity and output texts (EN/FR/ES), offline.

`scorer` (TF-IDF against the official goal and target wording), `rules` (high-precision keyword
rules), `calibrate` (one 0-1 score and the strong/floor thresholds), `evaluate` (the SDG
Classification Benchmark), `run` (untagged or changed texts -> sdg_alignment file -> ingest).
"""
