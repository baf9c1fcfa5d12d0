"""The model: state, population, economy, lender, borrower rules, policies, the month and its recorder."""
