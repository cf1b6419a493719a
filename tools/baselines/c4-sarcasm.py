"""Course-style baseline for c4-sarcasm: the course's sarcasm model (Embedding, average
pooling, Dense(24), sigmoid), default Adam, 30 epochs."""

import tensorflow as tf

from grader.starters.c4_sarcasm import EMBEDDING_DIM, MAX_LENGTH, VOCAB_SIZE, load_data


def build_model():
    model = tf.keras.Sequential(
        [
            tf.keras.Input(shape=(MAX_LENGTH,)),
            tf.keras.layers.Embedding(VOCAB_SIZE, EMBEDDING_DIM),
            tf.keras.layers.GlobalAveragePooling1D(),
            tf.keras.layers.Dense(24, activation="relu"),
            tf.keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
    return model


def solution_model():
    x, y = load_data()
    model = build_model()
    model.fit(x, y, epochs=30, validation_split=0.1, verbose=0)
    return model
