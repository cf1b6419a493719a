"""Course-style baseline for c3-horses-or-humans-150: the course's horses-or-humans CNN at
150x150 (three conv blocks 16-32-64, Dense(512), one sigmoid), RMSprop at 0.001, 15 epochs,
on the starter's folders. (The practice exam's own answer builds on a frozen InceptionV3,
whose ImageNet weights need the internet.)"""

import tensorflow as tf

from grader.starters.c3_horses_or_humans_150 import load_data


def build_model():
    layers = [tf.keras.Input(shape=(150, 150, 3))]
    for filters in (16, 32, 64):
        layers += [
            tf.keras.layers.Conv2D(filters, 3, activation="relu"),
            tf.keras.layers.MaxPooling2D(2),
        ]
    layers += [
        tf.keras.layers.Flatten(),
        tf.keras.layers.Dense(512, activation="relu"),
        tf.keras.layers.Dense(1, activation="sigmoid"),
    ]
    model = tf.keras.Sequential(layers)
    model.compile(
        optimizer=tf.keras.optimizers.RMSprop(learning_rate=1e-3),
        loss="binary_crossentropy",
        metrics=["accuracy"],
    )
    return model


def solution_model():
    train = load_data().map(lambda x, y: (x / 255.0, y))
    model = build_model()
    model.fit(train, epochs=15, verbose=0)
    return model
