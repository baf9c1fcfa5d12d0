"""The model: state and population, economy, borrower and lender rules, the month, agents, policies and recorder.

Modules, from the bottom up: ``jit`` (the kernel decorator and cache guard), ``accounts`` (shared
account formulas), ``state`` (the arrays and codes), ``rng`` (random streams), ``population``
(the initial pool), ``economy`` (the macro path), ``borrower_rules`` and ``lender`` (the rule
kernels), ``month`` (the ordered stage table), ``policies``, ``agents`` (the Mesa agents),
``recorder`` (monthly indicators) and ``model`` (``CreditModel``).
"""
