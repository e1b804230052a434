import { describeFaultMatrix } from './helpers/fault-matrix.js'

describeFaultMatrix('pools')
