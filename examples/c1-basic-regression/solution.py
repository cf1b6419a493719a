# %% [markdown]
# # Category 1
# Hello.

# %%
x = 1 + 1
print(x)
