"""The update cycle's pages, split by journey: updates (officers), signoff (lead directors),
periods (programme office) and history (everyone)."""
