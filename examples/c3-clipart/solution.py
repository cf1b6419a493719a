# %% [markdown]
# # Category 3: image classification with a CNN
#
# **Problem** `c3-clipart`: tell drawings of animals from drawings of people. The images
# are real clip art from the Open Clip Art Library (Debian's `openclipart-png`), prepared
# once into `animals/` and `people/` folders of 150x150 RGB images. It is the offline
# stand-in for the exam's horses-or-humans problem (also computer-drawn images), with the
# same kind of contract: RGB in, one sigmoid unit out.
#
# **Run it**: `python examples/c3-clipart/solution.py` writes `mymodel.h5`;
# `tfcert grade mymodel.h5 --problem c3-clipart` scores it on drawings the training
# folder does not contain.

# %% [markdown]
# ## Setup

# %%
import keras
import tensorflow as tf

from grader.starters.c3_clipart import IMAGE_SIZE, TRAINING_DIR

keras.utils.set_random_seed(42)
tf.config.experimental.enable_op_determinism()

# %% [markdown]
# ## Load the images
#
# `image_dataset_from_directory` reads the class folders in alphabetical order, so
# `animals` is 0 and `people` is 1, which is what the grader expects. The exam-era way was
# `ImageDataGenerator(rescale=1/255).flow_from_directory(...)`; it still exists in Keras 3
# as a deprecated legacy API and reads the same folders the same way.
#
# The grader feeds pixels scaled to [0, 1], so the training data is scaled the same way
# here, outside the model. (A `Rescaling(1/255)` layer inside the model would scale the
# grader's [0, 1] images a second time.)
#
# About 20% of the training folder is held back for validation, a split that does not
# depend on the shuffle so that it reproduces.


# %%
def load_datasets():
    common = dict(
        image_size=IMAGE_SIZE,
        batch_size=32,
        label_mode="binary",
        validation_split=0.2,
        seed=42,
    )
    train = tf.keras.utils.image_dataset_from_directory(TRAINING_DIR, subset="training", **common)
    valid = tf.keras.utils.image_dataset_from_directory(TRAINING_DIR, subset="validation", **common)

    def scale(images, labels):
        return images / 255.0, labels

    return train.map(scale).cache(), valid.map(scale).cache()


# %% [markdown]
# ## The model
#
# Three convolution blocks, as in the course's horses-or-humans notebook, but narrow
# (16-32-64 filters) because there are only about 540 drawings and a CPU to train on.
#
# - The drawings are clean (white background, dark outlines): a small network learns them
#   fast. With this little data, one of the candidates' tips holds here too: don't spend
#   your time fighting overfitting, the score is measured on held-out drawings of the same
#   kind.
# - A random horizontal flip is a cheap augmentation that makes sense for drawings; it is
#   a built-in layer and is inactive when the grader predicts.
# - `EarlyStopping` on `val_accuracy` with `restore_best_weights` keeps the best epoch.


# %%
def solution_model():
    train, valid = load_datasets()
    model = tf.keras.Sequential(
        [
            tf.keras.Input(shape=(150, 150, 3)),
            tf.keras.layers.RandomFlip("horizontal", seed=42),
            tf.keras.layers.Conv2D(16, 3, activation="relu"),
            tf.keras.layers.MaxPooling2D(2),
            tf.keras.layers.Conv2D(32, 3, activation="relu"),
            tf.keras.layers.MaxPooling2D(2),
            tf.keras.layers.Conv2D(64, 3, activation="relu"),
            tf.keras.layers.MaxPooling2D(2),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(64, activation="relu"),
            tf.keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(
        optimizer=tf.keras.optimizers.Adam(learning_rate=1e-3),
        loss="binary_crossentropy",
        metrics=["accuracy"],
    )
    model.fit(
        train,
        validation_data=valid,
        epochs=15,
        callbacks=[
            tf.keras.callbacks.EarlyStopping(
                monitor="val_accuracy", patience=4, restore_best_weights=True
            )
        ],
        verbose=0,
    )
    return model


# %% [markdown]
# ## Save the model

# %%
if __name__ == "__main__":
    model = solution_model()
    model.save("mymodel.h5")
