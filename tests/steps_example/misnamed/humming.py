"""A kind module whose name isn't its model's type (`hum`): the registry refuses it."""

from tests.steps_example.core.hum import KIND as KIND
