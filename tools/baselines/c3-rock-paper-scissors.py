"""Course-style baseline for c3-rock-paper-scissors: the course's multi-class CNN (four conv
blocks 64-64-128-128, Dropout(0.5), Dense(512), softmax over three), RMSprop, 25 epochs, on
the starter's folders."""

import tensorflow as tf

from grader.starters.c3_rock_paper_scissors import load_data


def build_model():
    layers = [tf.keras.Input(shape=(150, 150, 3))]
    for filters in (64, 64, 128, 128):
        layers += [
            tf.keras.layers.Conv2D(filters, 3, activation="relu"),
            tf.keras.layers.MaxPooling2D(2),
        ]
    layers += [
        tf.keras.layers.Flatten(),
        tf.keras.layers.Dropout(0.5),
        tf.keras.layers.Dense(512, activation="relu"),
        tf.keras.layers.Dense(3, activation="softmax"),
    ]
    model = tf.keras.Sequential(layers)
    model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
    return model


def solution_model():
    train = load_data().map(lambda x, y: (x / 255.0, y))
    model = build_model()
    model.fit(train, epochs=25, verbose=0)
    return model
