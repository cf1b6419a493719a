"""Course-style baseline for Melbourne's minimum temperatures: the course's week 4 model
(Conv1D(32, 5) + two LSTM(64) + Dense 30/10/1), the last LSTM returning only its last
output, without the course's Lambda (the targets stay in degrees); Huber loss, Adam and 30
epochs on the starter's shuffled windows."""

import tensorflow as tf

from grader import load_training_data
from grader.starters.c5_melbourne_temperatures import WINDOW_SIZE, windowed_dataset


def build_model():
    model = tf.keras.Sequential(
        [
            tf.keras.Input(shape=(WINDOW_SIZE, 1)),
            tf.keras.layers.Conv1D(32, 5, padding="causal", activation="relu"),
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
    series = load_training_data("c5-melbourne-temperatures")
    model = build_model()
    model.fit(windowed_dataset(series), epochs=30, verbose=0)
    return model
