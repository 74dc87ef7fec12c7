"""The work plan: what each cooperation area plans per period, its approved baselines, and how the plan moved since."""
