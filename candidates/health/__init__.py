"""Data health: checks over candidates and directory rows, and their safe fixes (a bulk job)."""
