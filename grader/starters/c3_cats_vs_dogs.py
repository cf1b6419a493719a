# ======================================================================
# Category 3: image classification (problem c3-cats-vs-dogs)
#
# Cats vs dogs as the practice exam asked it: real photos of cats and
# dogs from the course's cats_and_dogs_filtered archive, 2,000 to train
# on. One folder per class, "cats" (label 0) and "dogs" (label 1); the
# photos have many sizes and the loader below resizes them to 150x150.
# The grader feeds 150x150 RGB images scaled to [0, 1], so scale yours
# the same way. It grades on the archive's 1,000 validation photos.
#
# The archive has no published checksum, so tfcert does not download it:
# download cats_and_dogs_filtered.zip from the course's address yourself
# (`tfcert data show cats-and-dogs-filtered` prints it), put it in a
# folder and set TFCERT_LOCAL_DATA to that folder.
#
# Contract: input shape (None, 150, 150, 3), output shape (None, 1) with
# a sigmoid: keep the last layer. Do not use Lambda layers.
# Grade it with: tfcert grade mymodel.h5 --problem c3-cats-vs-dogs
# ======================================================================
import tensorflow as tf

from grader import load_training_data

# ---- DO NOT CHANGE ---------------------------------------------------
IMAGE_SIZE = (150, 150)


def load_data():
    training_dir = load_training_data("c3-cats-vs-dogs")  # cats/ and dogs/
    return tf.keras.utils.image_dataset_from_directory(
        training_dir, image_size=IMAGE_SIZE, batch_size=32, label_mode="binary"
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
            tf.keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    # YOUR CODE HERE: compile and fit the model
    return model


# The code below saves your model as mymodel.h5, the file that is graded.
if __name__ == "__main__":
    model = solution_model()
    model.save("mymodel.h5")
