import { describeFaultMatrix } from './fault-matrix.js'

describeFaultMatrix('pools')
