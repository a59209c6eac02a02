"""Experiments: sweep specifications, the sweep runner and the analysis of sweep results."""
