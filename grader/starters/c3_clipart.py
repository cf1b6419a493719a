# ======================================================================
# Category 3: image classification (problem c3-clipart)
#
# Build a CNN that tells drawings of animals from drawings of people.
# The data is real clip art (Open Clip Art Library): one folder per
# class, "animals" (label 0) and "people" (label 1), 150x150 RGB. It
# stands in for the exam's horses-or-humans problem, which needs the
# internet. The grader feeds held-out drawings scaled to [0, 1].
#
# Contract: input shape (None, 150, 150, 3), output shape (None, 1) with
# a sigmoid (or (None, 2) with a softmax). Do not use Lambda layers.
# Grade it with: tfcert grade mymodel.h5 --problem c3-clipart
# ======================================================================
import tensorflow as tf

from grader import load_training_data

# ---- DO NOT CHANGE ---------------------------------------------------
IMAGE_SIZE = (150, 150)
TRAINING_DIR = load_training_data("c3-clipart")  # a folder with animals/ and people/
# ---- END OF DO NOT CHANGE --------------------------------------------


def solution_model():
    train_ds = tf.keras.utils.image_dataset_from_directory(
        TRAINING_DIR, image_size=IMAGE_SIZE, batch_size=32, label_mode="binary"
    )
    train_ds = train_ds.map(lambda x, y: (x / 255.0, y))  # the grader feeds [0, 1]

    model = tf.keras.Sequential(
        [
            tf.keras.Input(shape=(150, 150, 3)),
            # YOUR CODE HERE
            # The output layer the grader wants: one sigmoid unit. Straight after the
            # input it gives (None, 150, 150, 1), not (None, 1): convolution blocks and a
            # Flatten (or pooling) come first.
            tf.keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    # YOUR CODE HERE: compile and fit the model
    return model


# The code below saves your model as mymodel.h5, the file that is graded.
if __name__ == "__main__":
    model = solution_model()
    model.save("mymodel.h5")
