"""Uploaded files: what the team keeps (a CV), behind a small storage interface.

Shared infrastructure below the features, like mail: it imports none of them. A feature
keeps a :class:`~interviewer.files.models.StoredFile` (name, type, size, checksum) and
reads or removes the bytes through :mod:`interviewer.files.services`; where the bytes live
is the storage's business (:mod:`interviewer.files.storage`: the local disk by default), so
an object store can take its place without a change to any feature.
"""
