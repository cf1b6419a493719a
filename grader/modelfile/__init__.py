"""The model-file layer: what a saved model holds, read without running any of it.

`keras2` translates the config of an exam-era file saved by Keras 2 into the config Keras 3
expects, as data, and builds the model from it with Keras' safe mode on; `inspection`
reads a .h5 or .keras file's config with h5py or zipfile (never with Keras), refuses
anything but built-in Keras layers, oversized or damaged files, and says why in one line
(`Rejected`). Model files are untrusted: nothing here imports or runs code a file names.
"""
