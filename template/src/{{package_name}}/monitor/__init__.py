"""Monitoring: drift between live features and the training reference."""
