"""Course-style baseline for category 5 (multivariate): an LSTM over the window, widened
to all outputs, as household-power solutions did; 20 epochs."""

import tensorflow as tf

from grader import load_training_data
from grader.starters.c5_seattle_weather import (
    N_FEATURES,
    N_FUTURE,
    N_PAST,
    SPLIT_TIME,
    windowed_dataset,
)


def build_model():
    model = tf.keras.Sequential(
        [
            tf.keras.Input(shape=(N_PAST, N_FEATURES)),
            tf.keras.layers.LSTM(32),
            tf.keras.layers.Dense(N_FUTURE * N_FEATURES),
            tf.keras.layers.Reshape((N_FUTURE, N_FEATURES)),
        ]
    )
    model.compile(optimizer="adam", loss="mean_absolute_error", metrics=["mae"])
    return model


def solution_model():
    data = load_training_data("c5-seattle-weather")
    model = build_model()
    model.fit(windowed_dataset(data[:SPLIT_TIME]), epochs=20, verbose=0)
    return model
