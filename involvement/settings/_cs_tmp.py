from involvement.settings.production import *  # noqa
from whitenoise.compress import Compressor
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [*Compressor.SKIP_COMPRESS_EXTENSIONS, "map", "scss", "mts", "njk", "md"]
