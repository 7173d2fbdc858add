"""Sign-in, tokens, roles, rate limits and the keys behind them."""
