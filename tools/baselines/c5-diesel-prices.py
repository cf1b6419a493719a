"""Course-style baseline for the exam's diesel problem: the Bidirectional LSTMs the starter's
hint suggests, each step's output a Dense(1), MAE loss, Adam and 20 epochs on the starter's
windows."""

import tensorflow as tf

from grader.starters.c5_diesel_prices import (
    N_FEATURES,
    N_PAST,
    SPLIT_TIME,
    normalised_data,
    windowed_dataset,
)


def build_model():
    model = tf.keras.Sequential(
        [
            tf.keras.Input(shape=(N_PAST, N_FEATURES)),
            tf.keras.layers.Bidirectional(tf.keras.layers.LSTM(32, return_sequences=True)),
            tf.keras.layers.Bidirectional(tf.keras.layers.LSTM(32, return_sequences=True)),
            tf.keras.layers.Dense(N_FEATURES),
        ]
    )
    model.compile(optimizer="adam", loss="mean_absolute_error", metrics=["mae"])
    return model


def solution_model():
    data = normalised_data()
    tf.keras.backend.clear_session()
    tf.random.set_seed(42)
    model = build_model()
    model.fit(windowed_dataset(data[:SPLIT_TIME]), epochs=20, verbose=0)
    return model
