def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "keras: needs real Keras (KERAS_BACKEND=numpy) to regenerate the ground truth",
    )
