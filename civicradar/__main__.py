from civicradar.cli import main

main()
