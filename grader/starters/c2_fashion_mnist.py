# ======================================================================
# Category 2: a model from a learning dataset (problem c2-fashion-mnist)
#
# Build a classifier for Fashion-MNIST: 28x28 grey images of clothing in
# 10 classes. The grader feeds the 10,000 test images, scaled to [0, 1],
# with shape (28, 28): do not resize or reshape them in your input.
#
# Contract: input shape (None, 28, 28), output shape (None, 10) with
# softmax probabilities. Do not use Lambda layers.
# Grade it with: tfcert grade mymodel.h5 --problem c2-fashion-mnist
# ======================================================================
import tensorflow as tf


def solution_model():
    fashion_mnist = tf.keras.datasets.fashion_mnist
    # ---- DO NOT CHANGE -----------------------------------------------
    (x_train, y_train), (x_test, y_test) = fashion_mnist.load_data()
    x_train = x_train / 255.0
    x_test = x_test / 255.0
    # ---- END OF DO NOT CHANGE ----------------------------------------

    model = tf.keras.Sequential(
        [
            tf.keras.Input(shape=(28, 28)),
            # YOUR CODE HERE
            # The output layer the grader wants: 10 softmax units. Straight after the
            # (28, 28) input it gives (None, 28, 10), not (None, 10): flatten (or pool)
            # the images first.
            tf.keras.layers.Dense(10, activation="softmax"),
        ]
    )
    # YOUR CODE HERE: compile and fit the model
    return model


# The code below saves your model as mymodel.h5, the file that is graded.
if __name__ == "__main__":
    model = solution_model()
    model.save("mymodel.h5")
