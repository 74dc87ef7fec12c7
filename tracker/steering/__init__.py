"""The steering-committee report: per cooperation area, what was planned, done and slipped in a period,
the next period's plan and indicators against targets, with an executive summary; and the term's amendments."""
