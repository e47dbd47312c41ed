"""A kind whose handler is another kind's, typed by that kind's model (`hum` with the prompt's)."""
