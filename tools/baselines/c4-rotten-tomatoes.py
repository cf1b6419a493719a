"""Course-style baseline for category 4: the sarcasm notebook's model, 30 epochs."""

import tensorflow as tf

from grader.starters.c4_rotten_tomatoes import EMBEDDING_DIM, MAX_LENGTH, VOCAB_SIZE, load_data


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
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return model


def solution_model():
    (x, y), (vx, vy) = load_data()
    model = build_model()
    model.fit(x, y, epochs=30, validation_data=(vx, vy), verbose=0)
    return model
