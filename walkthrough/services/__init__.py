"""Use cases: one transaction each; plain Python in, frozen snapshots out."""
