"""Course-style baseline for the sunspots problem one month ahead: the course's Conv1D + two
LSTMs + dense head, the last LSTM returning only its last output (one value a window),
Huber loss, Adam and 20 epochs on the starter's shuffled windows."""

import tensorflow as tf

from grader.starters.c5_sunspots_next_month import (
    SPLIT_TIME,
    WINDOW_SIZE,
    normalised_series,
    windowed_dataset,
)


def build_model():
    model = tf.keras.Sequential(
        [
            tf.keras.Input(shape=(WINDOW_SIZE, 1)),
            tf.keras.layers.Conv1D(64, 3, padding="causal", activation="relu"),
            tf.keras.layers.LSTM(64, return_sequences=True),
            tf.keras.layers.LSTM(64),
            tf.keras.layers.Dense(30, activation="relu"),
            tf.keras.layers.Dense(10, activation="relu"),
            tf.keras.layers.Dense(1),
        ]
    )
    model.compile(
        optimizer=tf.keras.optimizers.Adam(learning_rate=1e-3),
        loss=tf.keras.losses.Huber(),
        metrics=["mae"],
    )
    return model


def solution_model():
    series = normalised_series()
    model = build_model()
    model.fit(windowed_dataset(series[:SPLIT_TIME]), epochs=20, verbose=0)
    return model
