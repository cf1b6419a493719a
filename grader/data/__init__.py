"""The data layer: every dataset's registry entry, its verified sources, and its arrays.

`registry` is the one home of each dataset's files, checksums, offline sources and licence;
`settings` says where data lives and which environment variables change that (`errors`
holds `DataError`, which every data failure raises with what to do); `download`,
`download_cache` and `unpack` fetch and verify files and take them out of wheels and .debs;
`sources` finds each file on this machine or fetches it; `images` prepares the image
folders, `readers` turns files into arrays, `preparers` makes each dataset ready offline and
`status` reports it (`tfcert data`). `files/` holds the data shipped inside the package (the
exam's household_power.zip). Nothing here knows about problems, models or the exam.
"""
