"""How bundle files are named and typed on the desktop (a module of its own, so that the
command line can tell a bundle argument without loading the bundle reader)."""

# A bundle's file name ends in FILE_SUFFIX, encrypted or not: reading tells them apart by
# their first bytes, so one file type opens them all. Bundles were named .zip and .age
# before they had their own; reading takes any name.
FILE_SUFFIX = ".eurnet"
OLD_SUFFIXES = (".zip", ".age")
# The type the desktop files declare (packaging/linux/*.xml, the .desktop file's MimeType).
MIME_TYPE = "application/x-euregionet-bundle"
