import sys

from benchmarks.reportlog import main

sys.exit(main())
