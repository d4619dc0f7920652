"""Coaching at the right moment: the seed article's remedies as one-line tips in the replies (see tips.py)."""
