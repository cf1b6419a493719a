# ======================================================================
# Category 3: image classification (problem c3-rock-paper-scissors)
#
# The exam's three-class category 3 variant: tell computer-rendered hands
# showing rock, paper or scissors apart. One folder per class, "paper"
# (label 0), "rock" (label 1) and "scissors" (label 2). As in the exam,
# the test feeds 150x150 RGB images (the files are 300x300: the loader
# below resizes them); the grader scales the pixels to [0, 1], so scale
# yours the same way. It grades on the separate test set: hands that the
# training folder does not have. The images are downloaded once (230 MB)
# the first time load_data() runs.
#
# Contract: input shape (None, 150, 150, 3), output shape (None, 3) with
# a softmax: keep the last layer. Do not use Lambda layers.
# Grade it with: tfcert grade mymodel.h5 --problem c3-rock-paper-scissors
# ======================================================================
import tensorflow as tf

from grader import load_training_data

# ---- DO NOT CHANGE ---------------------------------------------------
IMAGE_SIZE = (150, 150)


def load_data():
    training_dir = load_training_data("c3-rock-paper-scissors")  # paper/, rock/, scissors/
    return tf.keras.utils.image_dataset_from_directory(
        training_dir, image_size=IMAGE_SIZE, batch_size=32, label_mode="categorical"
    )


# ---- END OF DO NOT CHANGE --------------------------------------------


def solution_model():
    train_ds = load_data()
    # YOUR CODE HERE: scale the pixels to [0, 1] (the grader feeds [0, 1]); set aside
    # part of the training images for validation if you want it.

    model = tf.keras.Sequential(
        [
            tf.keras.Input(shape=(150, 150, 3)),
            # YOUR CODE HERE: convolution blocks, then Flatten (or pooling)
            # This is the last layer: keep it.
            tf.keras.layers.Dense(3, activation="softmax"),
        ]
    )
    # YOUR CODE HERE: compile (the labels are one-hot: categorical_crossentropy) and fit
    return model


# The code below saves your model as mymodel.h5, the file that is graded.
if __name__ == "__main__":
    model = solution_model()
    model.save("mymodel.h5")
