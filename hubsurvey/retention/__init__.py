"""Retention: answers are deleted when their survey's keep-until date has passed, and
unsent drafts after DRAFT_KEEP_DAYS. The promise in every privacy notice, kept by the code."""
