"""Course-style baseline for category 3: the horses-or-humans CNN (five conv blocks,
Dense(512), RMSprop), 15 epochs, on the same folders."""

import tensorflow as tf

from grader.starters.c3_clipart import IMAGE_SIZE, TRAINING_DIR


def build_model():
    layers = [tf.keras.Input(shape=(150, 150, 3))]
    for filters in (16, 32, 64, 64, 64):
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
    train = tf.keras.utils.image_dataset_from_directory(
        TRAINING_DIR, image_size=IMAGE_SIZE, batch_size=32, label_mode="binary", seed=42
    ).map(lambda x, y: (x / 255.0, y))
    model = build_model()
    model.fit(train, epochs=15, verbose=0)
    return model
