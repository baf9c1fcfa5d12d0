"""bnpl-stress: an agent-based stress simulator for buy-now-pay-later consumer credit."""
