"""What an operator watches: metrics, health, logs with request ids."""
