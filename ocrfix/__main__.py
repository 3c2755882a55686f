from ocrfix.cli import main

main()
