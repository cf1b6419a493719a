"""Course-style baseline for category 5 (sunspots): the course's Conv1D + two LSTMs +
dense head, with a 12-month output, Huber loss, Adam and 30 epochs. (The course tuned SGD's
learning rate for its raw, unnormalised series; that rate does not carry over.)"""

import tensorflow as tf

from grader import load_training_data
from grader.starters.c5_sunspots import N_FUTURE, SPLIT_TIME, WINDOW_SIZE, windowed_dataset


def build_model():
    model = tf.keras.Sequential(
        [
            tf.keras.Input(shape=(WINDOW_SIZE, 1)),
            tf.keras.layers.Conv1D(64, 3, padding="causal", activation="relu"),
            tf.keras.layers.LSTM(64, return_sequences=True),
            tf.keras.layers.LSTM(64),
            tf.keras.layers.Dense(30, activation="relu"),
            tf.keras.layers.Dense(10, activation="relu"),
            tf.keras.layers.Dense(N_FUTURE),
        ]
    )
    model.compile(
        optimizer=tf.keras.optimizers.Adam(learning_rate=1e-3),
        loss=tf.keras.losses.Huber(),
        metrics=["mae"],
    )
    return model


def solution_model():
    series = load_training_data("c5-sunspots")
    model = build_model()
    model.fit(windowed_dataset(series[:SPLIT_TIME]), epochs=30, verbose=0)
    return model
