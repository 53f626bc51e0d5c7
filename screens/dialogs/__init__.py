"""Modal dialogs: each validates through the domain functions, names what is wrong inline,
saves nothing until it is fixed, and dismisses with a truthy value when it changed data."""
